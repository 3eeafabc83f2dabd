import {
  AdminAddUserToGroupCommand,
  AdminGetUserCommand,
  AdminRemoveUserFromGroupCommand,
  CreateGroupCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { DirectoryUser, UserDirectory } from '../../../../core/ports';

/** The Cognito user pool as the user directory: groups mirror memberships. */
export class CognitoUserDirectory implements UserDirectory {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async findUser(username: string): Promise<DirectoryUser | undefined> {
    try {
      const user = await this.cognito.send(
        new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: username }),
      );
      const attribute = (name: string) => user.UserAttributes?.find((a) => a.Name === name)?.Value;
      return {
        email: attribute('email'),
        emailVerified: attribute('email_verified') === 'true',
        name: attribute('preferred_username') ?? attribute('name'),
      };
    } catch (err) {
      if (err instanceof Error && err.name === 'UserNotFoundException') return undefined;
      throw err;
    }
  }

  async ensureGroup(name: string, description: string): Promise<void> {
    try {
      await this.cognito.send(
        new CreateGroupCommand({
          UserPoolId: this.userPoolId,
          GroupName: name,
          Description: description,
        }),
      );
    } catch (err) {
      // Only "already there" means done; throttling or access denied must surface.
      if (err instanceof Error && err.name === 'GroupExistsException') return;
      throw err;
    }
  }

  async addUserToGroup(username: string, group: string): Promise<void> {
    await this.cognito.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: this.userPoolId,
        Username: username,
        GroupName: group,
      }),
    );
  }

  async removeUserFromGroup(username: string, group: string): Promise<void> {
    await this.cognito.send(
      new AdminRemoveUserFromGroupCommand({
        UserPoolId: this.userPoolId,
        Username: username,
        GroupName: group,
      }),
    );
  }
}
